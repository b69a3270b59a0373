Subject: ${brand.displayName}: the letter with your seal token was lost — a new token is on its way
Hello ${name},

The carrier reported lost the registered letter with the seal token of ${organisation} (order ${orderId}<#if tracking?has_content>, tracking number ${tracking}</#if>).

For your security, the certificate on that token<#if serial?has_content> (serial ${serial})</#if> was revoked at once: should the letter turn up after all, do not use that token, it can no longer seal anything. Its initialisation PIN was never given and has been erased.

A new token is being prepared for you and will be sent by registered letter with acknowledgement of receipt. Its initialisation PIN will be given on your token's page once it is delivered. There is nothing for you to do.

If you have questions, write to us: ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
