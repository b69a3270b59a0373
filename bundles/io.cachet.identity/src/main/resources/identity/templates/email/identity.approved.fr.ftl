Subject: ${brand.displayName} : votre identité est confirmée (commande ${orderId})
Bonjour ${name},

Un opérateur a confirmé votre identité pour la commande ${orderId}. Il n'y a plus rien à faire pour cette étape ;
nous vous informerons par e-mail des suivantes.

--
${brand.displayName} · ${brand.supportEmail}
