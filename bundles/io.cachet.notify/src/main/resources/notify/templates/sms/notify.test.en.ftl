${brand.displayName}: test message<#if reference??> ${reference}</#if>. SMS notifications work.
