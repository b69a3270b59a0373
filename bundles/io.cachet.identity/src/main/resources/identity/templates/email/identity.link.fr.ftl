Subject: ${brand.displayName} : votre nouveau lien d'identification pour la commande ${orderId}
Bonjour ${name},

Voici votre nouveau lien personnel pour prouver votre identité pour la commande ${orderId} :

${link}

Il est valable jusqu'au ${expires} (UTC). Pièces d'identité acceptées : ${documents}

Si vous ne l'avez pas demandé, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
