Subject: ${brand.displayName}: a new seal is in your customer space
Hello ${name},

The cloud seal of order ${orderId}<#if organisation?has_content> (${organisation})</#if> is now in your ${brand.displayName} customer space, next to your other seals. Log in as usual (${email}):

${spaceUrl}

If you did not expect this message, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
