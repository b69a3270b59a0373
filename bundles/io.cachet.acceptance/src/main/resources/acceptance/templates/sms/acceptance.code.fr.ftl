${brand.displayName} : votre code d'acceptation de la commande ${orderId} est ${code}. Valable ${minutes} minutes. Ne le communiquez à personne.
