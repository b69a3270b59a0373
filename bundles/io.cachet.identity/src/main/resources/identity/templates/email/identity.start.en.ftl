Subject: ${brand.displayName}: prove your identity for order ${orderId}
Hello ${name},

To go on with order ${orderId}, we must check your identity. It takes a few minutes, from your phone:
open this personal link and follow the steps (an identity document and a photo of you).

${link}

Have at hand an original, valid identity document; the accepted documents are listed here:
${documents}

This link is for you alone: do not forward it. It opens until ${expires} (UTC); after that, the page it leads to
offers to send you a fresh one.

If you did not expect this message, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
