Subject: ${brand.displayName} : un nouveau cachet est dans votre espace client
Bonjour ${name},

Le cachet cloud de la commande ${orderId}<#if organisation?has_content> (${organisation})</#if> est désormais dans votre espace client ${brand.displayName}, à côté de vos autres cachets. Connectez-vous comme d'habitude (${email}) :

${spaceUrl}

Si vous n'attendiez pas ce message, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
