Subject: ${brand.displayName} — essai de la marque

Bonjour de la part de ${brand.displayName}.
