Subject: ${brand.displayName}: the documents of ${organisation} were not accepted (order ${orderId})
Hello,

We could not accept the documents sent for ${organisation} (order ${orderId}):
${reason}

Open your order's status page (the link of our first e-mail) and send new documents from there.
If you have a question, write to ${brand.supportEmail}.

--
${brand.displayName} · ${brand.supportEmail}
