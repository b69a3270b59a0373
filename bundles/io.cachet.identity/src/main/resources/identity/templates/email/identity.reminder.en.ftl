Subject: ${brand.displayName}: reminder, your identity check for order ${orderId}
Hello ${name},

Order ${orderId} is waiting for your identity check. It takes a few minutes, from your phone:

${link}

This fresh link replaces the one we sent before. It opens until ${expires} (UTC).
Accepted identity documents: ${documents}

--
${brand.displayName} · ${brand.supportEmail}
