${brand.displayName}: your acceptance code for order ${orderId} is ${code}. Valid ${minutes} minutes. Never share it.
