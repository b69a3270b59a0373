Subject: ${brand.displayName}: please try your identity check again (order ${orderId})
Hello ${name},

We could not accept your identification for order ${orderId}:
${reason}
<#if comment?has_content>
${comment}
</#if>

You may try again (${attemptsLeft} attempt(s) left) with this new link:

${link}

It opens until ${expires} (UTC). Accepted identity documents: ${documents}

--
${brand.displayName} · ${brand.supportEmail}
