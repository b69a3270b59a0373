Subject: ${brand.displayName}: order ${orderId} cancelled
Hello ${name},

The order ${orderId} of a qualified electronic seal for ${organisation} has been cancelled<#if reason?has_content> (${reason})</#if>.
Nothing more will be done for it, and its links no longer open.

Questions: ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
