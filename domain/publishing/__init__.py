"""What the deployment shows the public: the records an administrator published, and which evidence is public."""
