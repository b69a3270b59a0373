Subject: ${brand.displayName} : votre commande ${orderId} expire le ${deadline}
Bonjour ${name},

La commande ${orderId} d'un cachet électronique qualifié pour ${organisation} n'est pas encore terminée. Les
vérifications d'identité et de l'organisation, puis le formulaire d'acceptation, doivent être terminés avant le
${deadline} ; ensuite, la commande expire et il faut en passer une nouvelle.

Votre page de suivi indique ce qui a été fait et ce qu'il vous reste à faire :

${link}

Ce lien est pour vous seul(e) : ne le transférez pas. Il est valable jusqu'au ${expires} (UTC) et remplace les liens
envoyés auparavant.

Pour toute question : ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
