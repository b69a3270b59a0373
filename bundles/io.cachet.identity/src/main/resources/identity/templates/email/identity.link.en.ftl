Subject: ${brand.displayName}: your new identity link for order ${orderId}
Hello ${name},

Here is your fresh personal link to prove your identity for order ${orderId}:

${link}

It opens until ${expires} (UTC). Accepted identity documents: ${documents}

If you did not ask for it, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
