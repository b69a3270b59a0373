Subject: ${brand.displayName} : vérification de votre identité pour la commande ${orderId}
Bonjour ${name},

Pour poursuivre la commande ${orderId}, nous devons vérifier votre identité. Cela prend quelques minutes, depuis votre
téléphone : ouvrez ce lien personnel et suivez les étapes (une pièce d'identité et une photo de vous).

${link}

Munissez-vous d'une pièce d'identité originale en cours de validité ; les pièces acceptées sont listées ici :
${documents}

Ce lien est pour vous seul(e) : ne le transférez pas. Il est valable jusqu'au ${expires} (UTC) ; ensuite, la page
qu'il ouvre vous proposera d'en recevoir un nouveau.

Si vous n'attendiez pas ce message, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
