Subject: ${brand.displayName} : acceptez le certificat de cachet de ${organisation} (commande ${orderId})
Bonjour ${name},

Toutes les vérifications de la commande ${orderId} sont validées. Dernière étape avant la délivrance du certificat de
cachet de ${organisation} : <#if both>en tant que responsable de certificat et représentant légal<#elseif role == "certificate-manager">en tant que responsable de certificat<#else>en tant que représentant légal</#if>, lisez le formulaire d'acceptation et acceptez-le en ligne.

${link}

Vous confirmez avec un code envoyé par SMS à votre mobile (${mobile}) ; ${brand.displayName} scelle alors le
formulaire avec votre acceptation.

Ce lien est personnel : ne le transférez pas. Il est valable jusqu'au ${expires}.

Si vous n'attendiez pas ce message, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
