# Import dependencies
from encord import EncordUserClient
from encord.orm.dataset import StorageLocation

# Authenticate with Encord using the path to your private key
user_client = EncordUserClient.create_with_ssh_private_key(ssh_private_key_path="<private_key_path>")

# Create a dataset by specifying a title as well as a storage location
dataset = user_client.create_dataset(
    "<Dataset_Title>", StorageLocation.OTC
)

# Prints the dataset
print(dataset)
