Subject: ${brand.displayName}: your customer space was closed
Hello ${name},

On ${time}, ${brand.displayName} closed your customer space (${email}). From then on nobody can log in to it, the sessions that were open have ended, and its seals (among them that of ${organisation}, order ${orderId}) can no longer be used from it or from your software.

Your certificates are not revoked by this; documents sealed before stay valid.

If you did not expect this, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
