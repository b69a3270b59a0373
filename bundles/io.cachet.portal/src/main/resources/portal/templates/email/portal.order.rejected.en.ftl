Subject: ${brand.displayName}: order ${orderId} rejected
Hello ${name},

We cannot go on with the order ${orderId} of a qualified electronic seal for ${organisation}. The reason:

${reason}

Its links no longer open. You may place a new order once the reason above is dealt with; questions:
${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
