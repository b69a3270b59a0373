Subject: ${brand.displayName}: test message
Hello,

This is a test message from ${brand.displayName}<#if reference??> (reference ${reference})</#if>.
If you received it, e-mail notifications work.

--
${brand.displayName} · ${brand.supportEmail}
