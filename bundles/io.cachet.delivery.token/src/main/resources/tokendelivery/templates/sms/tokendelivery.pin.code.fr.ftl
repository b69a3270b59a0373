${brand.displayName} : votre code pour afficher le code PIN d'initialisation de la clé de la commande ${orderId} est ${code}. Valable ${minutes} minutes. Ne le communiquez à personne.
