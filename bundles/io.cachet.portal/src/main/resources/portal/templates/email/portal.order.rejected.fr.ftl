Subject: ${brand.displayName} : commande ${orderId} refusée
Bonjour ${name},

Nous ne pouvons pas donner suite à la commande ${orderId} d'un cachet électronique qualifié pour ${organisation}. Le motif :

${reason}

Ses liens ne s'ouvrent plus. Vous pourrez passer une nouvelle commande une fois ce motif levé ; pour toute question :
${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
