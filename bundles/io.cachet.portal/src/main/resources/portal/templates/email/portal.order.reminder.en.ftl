Subject: ${brand.displayName}: your order ${orderId} expires on ${deadline}
Hello ${name},

The order ${orderId} of a qualified electronic seal for ${organisation} is not complete yet. The identity and
organisation checks, then the acceptance form, must be completed by ${deadline}; after that the order expires and a
new one is needed.

Your status page shows what has been done and what is left for you to do:

${link}

This link is for you only: do not forward it. It opens until ${expires} (UTC) and replaces the links sent before.

Questions: ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
