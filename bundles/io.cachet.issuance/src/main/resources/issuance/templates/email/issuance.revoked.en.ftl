Subject: ${brand.displayName}: seal certificate of ${organisation} revoked
<#assign reasons = {"unspecified": "no reason given", "keyCompromise": "its key is compromised",
  "cACompromise": "the certification authority is compromised", "affiliationChanged": "the organisation's details changed",
  "superseded": "it is replaced by a new certificate", "cessationOfOperation": "it is no longer used",
  "privilegeWithdrawn": "the right to it was withdrawn"}>
Hello ${name},

The qualified electronic seal certificate of ${organisation} (order ${orderId}, serial ${serial}) was revoked on ${time}: ${reasons[reason]!reason}.

Revocation is final. From that time on, relying parties see the certificate as revoked and seals made with it are no longer valid<#if cloud>; its key in your customer space no longer seals</#if>.

If you did not expect this, write to us: ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
