Subject: ${brand.displayName} : votre commande ${orderId} pour ${organisation}
Bonjour ${name},

<#if both>Vous avez commandé un cachet électronique qualifié pour ${organisation}, en tant que responsable du certificat et représentant légal.
<#elseif role == "certificate-manager">Vous avez commandé un cachet électronique qualifié pour ${organisation}, en tant que responsable du certificat.
<#else>Un cachet électronique qualifié a été commandé pour ${organisation} ; vous y êtes désigné(e) comme représentant légal.
</#if>
Votre lien personnel vers la page de suivi de la commande, où vous verrez ce qui a été fait et ce qu'il vous reste à faire :

${link}

Ce lien est pour vous seul(e) : ne le transférez pas. Il est valable jusqu'au ${expires} (UTC) ; ensuite, la page
qu'il ouvre vous proposera d'en recevoir un nouveau.

Si vous n'attendiez pas ce message, écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
