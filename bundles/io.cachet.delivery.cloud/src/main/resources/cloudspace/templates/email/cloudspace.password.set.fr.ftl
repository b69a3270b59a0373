Subject: ${brand.displayName} : choisissez le mot de passe de votre espace client
Bonjour ${name},

Votre cachet cloud<#if orderId?has_content> (commande ${orderId}<#if organisation?has_content>, ${organisation}</#if>)</#if> est prêt dans votre espace client ${brand.displayName}. Votre identifiant est ${email}.

Choisissez votre mot de passe avec ce lien personnel, utilisable une seule fois :

${link}

Il est valable jusqu'au ${expires}. Choisissez au moins 12 caractères que vous n'utilisez nulle part ailleurs. Si le lien a expiré, demandez-en un nouveau depuis la page « Mot de passe oublié ? » de l'espace client.

Si vous n'attendiez pas ce message, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
