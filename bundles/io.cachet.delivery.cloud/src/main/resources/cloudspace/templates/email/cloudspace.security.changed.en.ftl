Subject: ${brand.displayName}: the security of your customer space changed
Hello ${name},

On ${time}, <#if change == "password">the password of your ${brand.displayName} customer space (${email}) was changed<#elseif change == "factor-added"><#if kind == "totp">an authenticator app<#else>a security key</#if> was added to your ${brand.displayName} customer space (${email}) as a second factor<#else><#if kind == "totp">the authenticator app<#else>a security key</#if> was removed from the second factors of your ${brand.displayName} customer space (${email})</#if>.

If it was you, nothing more is needed. You can review your second factors at:

${spaceUrl}

If it was not you, choose a new password at once at ${forgotUrl} and write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
