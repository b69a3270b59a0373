Subject: ${brand.displayName} : certificat de cachet de ${organisation} révoqué
<#assign reasons = {"unspecified": "sans motif précisé", "keyCompromise": "sa clé est compromise",
  "cACompromise": "l'autorité de certification est compromise", "affiliationChanged": "les informations de l'organisation ont changé",
  "superseded": "il est remplacé par un nouveau certificat", "cessationOfOperation": "il n'est plus utilisé",
  "privilegeWithdrawn": "le droit à ce certificat a été retiré"}>
Bonjour ${name},

Le certificat de cachet électronique qualifié de ${organisation} (commande ${orderId}, numéro de série ${serial}) a été révoqué le ${time} : ${reasons[reason]!reason}.

La révocation est définitive. Dès ce moment, les tiers voient le certificat comme révoqué et les cachets faits avec lui ne sont plus valides<#if cloud> ; sa clé dans votre espace client ne scelle plus</#if>.

Si vous ne vous y attendiez pas, écrivez-nous : ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
