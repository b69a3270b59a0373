${brand.displayName}: your code to show the initialisation PIN of the token of order ${orderId} is ${code}. Valid ${minutes} minutes. Never share it.
