Subject: ${brand.displayName} : votre identification pour la commande ${orderId} n'a pas été acceptée
Bonjour ${name},

Nous n'avons pas pu accepter votre identification pour la commande ${orderId} :
${reason}
<#if comment?has_content>
${comment}
</#if>

Il ne reste plus d'essai. Pour toute question, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
