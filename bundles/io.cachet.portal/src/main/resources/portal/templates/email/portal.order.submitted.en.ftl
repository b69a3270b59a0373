Subject: ${brand.displayName}: your order ${orderId} for ${organisation}
Hello ${name},

<#if both>You ordered a qualified electronic seal for ${organisation}, as its certificate manager and legal representative.
<#elseif role == "certificate-manager">You ordered a qualified electronic seal for ${organisation}, as its certificate manager.
<#else>A qualified electronic seal was ordered for ${organisation}, naming you as its legal representative.
</#if>
Your personal link to the order's status page, where you will see what has been done and what you must do next:

${link}

This link is for you alone: do not forward it. It opens until ${expires} (UTC); after that, the page it leads to
offers to send you a fresh one.

If you did not expect this message, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
