# Rename the key the plugin ignores (isMasq) to the one it reads (ipMasq).
sed -i 's/"isMasq"/"ipMasq"/' /etc/cni/net.d/10-mynet.conf
grep -q '"ipMasq"' /etc/cni/net.d/10-mynet.conf || sed -i 's/"isGateway": true,/"isGateway": true,\n    "ipMasq": true,/' /etc/cni/net.d/10-mynet.conf
jq . /etc/cni/net.d/10-mynet.conf
