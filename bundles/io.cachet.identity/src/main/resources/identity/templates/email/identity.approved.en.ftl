Subject: ${brand.displayName}: your identity is confirmed (order ${orderId})
Hello ${name},

An operator has confirmed your identity for order ${orderId}. There is nothing more to do for this step;
we will tell you by e-mail about the next ones.

--
${brand.displayName} · ${brand.supportEmail}
