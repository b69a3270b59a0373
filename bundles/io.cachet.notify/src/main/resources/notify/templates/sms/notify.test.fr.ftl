${brand.displayName} : message d'essai<#if reference??> ${reference}</#if>. Les notifications par SMS fonctionnent.
