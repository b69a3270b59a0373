Subject: ${brand.displayName} : rappel, la vérification de votre identité pour la commande ${orderId}
Bonjour ${name},

La commande ${orderId} attend la vérification de votre identité. Cela prend quelques minutes, depuis votre téléphone :

${link}

Ce nouveau lien remplace celui envoyé précédemment. Il est valable jusqu'au ${expires} (UTC).
Pièces d'identité acceptées : ${documents}

--
${brand.displayName} · ${brand.supportEmail}
