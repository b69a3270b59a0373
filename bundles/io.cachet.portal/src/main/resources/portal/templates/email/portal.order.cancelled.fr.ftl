Subject: ${brand.displayName} : commande ${orderId} annulée
Bonjour ${name},

La commande ${orderId} d'un cachet électronique qualifié pour ${organisation} a été annulée<#if reason?has_content> (${reason})</#if>.
Plus rien ne sera fait pour elle, et ses liens ne s'ouvrent plus.

Pour toute question : ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
