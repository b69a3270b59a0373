Subject: ${brand.displayName} : message d'essai
Bonjour,

Ceci est un message d'essai de ${brand.displayName}<#if reference??> (référence ${reference})</#if>.
Si vous l'avez reçu, les notifications par e-mail fonctionnent.

--
${brand.displayName} · ${brand.supportEmail}
