# ipMasq is spelled right, but the config now claims a CNI version the plugin does not support,
# so every ADD with it fails.
sed -i 's/"isMasq"/"ipMasq"/; s/"cniVersion": "0.3.1"/"cniVersion": "9.9.9"/' /etc/cni/net.d/10-mynet.conf
