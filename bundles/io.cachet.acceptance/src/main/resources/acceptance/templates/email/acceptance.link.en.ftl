Subject: ${brand.displayName}: accept the seal certificate of ${organisation} (order ${orderId})
Hello ${name},

Every check of order ${orderId} has passed. The last step before the seal certificate of ${organisation} is issued:
<#if both>as its Certificate Manager and Legal Representative<#elseif role == "certificate-manager">as its Certificate Manager<#else>as its Legal Representative</#if>, read the acceptance form and accept it online.

${link}

You confirm with a code sent by SMS to your mobile (${mobile}); ${brand.displayName} then seals the form with your
acceptance.

This link is for you alone: do not forward it. It opens until ${expires}.

If you did not expect this message, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
