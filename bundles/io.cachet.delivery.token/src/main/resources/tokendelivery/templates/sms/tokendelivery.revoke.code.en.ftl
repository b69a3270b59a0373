${brand.displayName}: your code to REVOKE the seal certificate of the token of order ${orderId} is ${code}. Valid ${minutes} minutes. Revocation is final. Not you? Do not use it and contact support.
