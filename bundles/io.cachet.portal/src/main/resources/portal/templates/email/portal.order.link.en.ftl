Subject: ${brand.displayName}: a fresh link to your order ${orderId}
Hello ${name},

You asked for a fresh link to the status page of the order ${orderId} for ${organisation}:

${link}

It opens until ${expires} (UTC). Earlier links no longer open. If you did not ask for it, you may ignore this
message or write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
