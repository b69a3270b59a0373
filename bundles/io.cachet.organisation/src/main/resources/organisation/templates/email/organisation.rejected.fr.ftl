Subject: ${brand.displayName} : les documents de ${organisation} n'ont pas été acceptés (commande ${orderId})
Bonjour,

Nous n'avons pas pu accepter les documents envoyés pour ${organisation} (commande ${orderId}) :
${reason}

Ouvrez le suivi de votre commande (le lien de notre premier e-mail) et envoyez-y de nouveaux documents.
Pour toute question, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
