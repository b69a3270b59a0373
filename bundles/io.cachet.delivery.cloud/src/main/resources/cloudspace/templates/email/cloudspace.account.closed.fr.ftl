Subject: ${brand.displayName} : votre espace client a été fermé
Bonjour ${name},

Le ${time}, ${brand.displayName} a fermé votre espace client (${email}). Dès lors personne ne peut s’y connecter, les sessions ouvertes ont pris fin, et ses cachets (dont celui de ${organisation}, commande ${orderId}) ne peuvent plus être utilisés depuis l’espace ni depuis vos logiciels.

Vos certificats ne sont pas révoqués pour autant ; les documents scellés auparavant restent valides.

Si vous ne vous y attendiez pas, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
