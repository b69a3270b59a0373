Subject: ${brand.displayName} : commande ${orderId} expirée
Bonjour ${name},

La commande ${orderId} d'un cachet électronique qualifié pour ${organisation} n'a pas été menée à terme dans le délai
prévu (les vérifications d'identité et de l'organisation, puis le formulaire d'acceptation) : elle a expiré.
Plus rien ne sera fait pour elle, et ses liens ne s'ouvrent plus. Pour obtenir votre cachet, passez une nouvelle
commande.

Pour toute question : ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
