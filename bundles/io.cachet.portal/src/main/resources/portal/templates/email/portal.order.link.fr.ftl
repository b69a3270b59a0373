Subject: ${brand.displayName} : un nouveau lien vers votre commande ${orderId}
Bonjour ${name},

Vous avez demandé un nouveau lien vers la page de suivi de la commande ${orderId} pour ${organisation} :

${link}

Il est valable jusqu'au ${expires} (UTC). Les liens précédents ne s'ouvrent plus. Si vous ne l'avez pas demandé,
vous pouvez ignorer ce message ou écrire à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
