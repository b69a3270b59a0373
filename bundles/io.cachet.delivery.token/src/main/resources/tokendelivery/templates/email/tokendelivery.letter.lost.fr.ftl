Subject: ${brand.displayName} : le courrier contenant votre clé de cachet a été perdu — une nouvelle clé arrive
Bonjour ${name},

Le transporteur a déclaré perdu le courrier recommandé contenant la clé de cachet de ${organisation} (commande ${orderId}<#if tracking?has_content>, numéro de suivi ${tracking}</#if>).

Pour votre sécurité, le certificat de cette clé<#if serial?has_content> (numéro de série ${serial})</#if> a été révoqué immédiatement : si le courrier réapparaissait, n’utilisez pas cette clé, elle ne peut plus rien cacheter. Son code PIN d’initialisation n’a jamais été communiqué et a été effacé.

Une nouvelle clé est en préparation et vous sera envoyée par courrier recommandé avec accusé de réception. Son code PIN d’initialisation sera donné sur la page de votre clé une fois le courrier remis. Vous n’avez rien à faire.

Pour toute question, écrivez-nous : ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
