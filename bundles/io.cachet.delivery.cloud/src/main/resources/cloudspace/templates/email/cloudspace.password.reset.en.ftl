Subject: ${brand.displayName}: reset the password of your customer space
Hello ${name},

Someone (probably you) asked to reset the password of your ${brand.displayName} customer space (login ${email}).

Choose a new password with this personal link, which works once:

${link}

It opens until ${expires}. Your current password keeps working until you choose a new one. If you did not ask for it, ignore this message; write to ${brand.supportEmail} if it happens again.

--
${brand.displayName} · ${brand.supportEmail}
