Subject: ${brand.displayName}: set the password of your customer space
Hello ${name},

Your cloud seal<#if orderId?has_content> (order ${orderId}<#if organisation?has_content>, ${organisation}</#if>)</#if> is ready in your ${brand.displayName} customer space. Your login is ${email}.

Set your password with this personal link, which works once:

${link}

It opens until ${expires}. Choose at least 12 characters that you use nowhere else. If the link has expired, ask for a new one from the "Forgot your password?" page of the customer space.

If you did not expect this message, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
