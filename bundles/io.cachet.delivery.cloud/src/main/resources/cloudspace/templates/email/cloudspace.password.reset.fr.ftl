Subject: ${brand.displayName} : réinitialisez le mot de passe de votre espace client
Bonjour ${name},

Quelqu'un (sans doute vous) a demandé à réinitialiser le mot de passe de votre espace client ${brand.displayName} (identifiant ${email}).

Choisissez un nouveau mot de passe avec ce lien personnel, utilisable une seule fois :

${link}

Il est valable jusqu'au ${expires}. Votre mot de passe actuel reste valable tant que vous n'en avez pas choisi un nouveau. Si vous n'avez rien demandé, ignorez ce message ; écrivez à ${brand.supportEmail} si cela se reproduit.

--
${brand.displayName} · ${brand.supportEmail}
