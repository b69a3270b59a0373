Subject: ${brand.displayName} : la sécurité de votre espace client a changé
Bonjour ${name},

Le ${time}, <#if change == "password">le mot de passe de votre espace client ${brand.displayName} (${email}) a été changé<#elseif change == "factor-added"><#if kind == "totp">une application d'authentification<#else>une clé de sécurité</#if> a été ajoutée comme second facteur à votre espace client ${brand.displayName} (${email})<#else><#if kind == "totp">l'application d'authentification<#else>une clé de sécurité</#if> a été retirée des seconds facteurs de votre espace client ${brand.displayName} (${email})</#if>.

Si c'était vous, vous n'avez rien d'autre à faire. Vous pouvez revoir vos seconds facteurs ici :

${spaceUrl}

Si ce n'était pas vous, choisissez tout de suite un nouveau mot de passe sur ${forgotUrl} et écrivez à ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
