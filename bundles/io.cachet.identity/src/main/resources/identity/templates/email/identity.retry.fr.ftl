Subject: ${brand.displayName} : merci de recommencer la vérification de votre identité (commande ${orderId})
Bonjour ${name},

Nous n'avons pas pu accepter votre identification pour la commande ${orderId} :
${reason}
<#if comment?has_content>
${comment}
</#if>

Vous pouvez recommencer (il vous reste ${attemptsLeft} essai(s)) avec ce nouveau lien :

${link}

Il est valable jusqu'au ${expires} (UTC). Pièces d'identité acceptées : ${documents}

--
${brand.displayName} · ${brand.supportEmail}
