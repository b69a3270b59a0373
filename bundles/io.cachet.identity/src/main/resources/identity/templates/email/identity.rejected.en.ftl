Subject: ${brand.displayName}: your identification for order ${orderId} was not accepted
Hello ${name},

We could not accept your identification for order ${orderId}:
${reason}
<#if comment?has_content>
${comment}
</#if>

No attempt is left. If you have a question, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
