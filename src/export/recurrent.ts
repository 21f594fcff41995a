// The LSTM and GRU of an exported script, written out as the trainer computes them
// (trainer/layers/lstm.ts, gru.ts, recurrent.ts) rather than as nn.LSTM / nn.GRU, which differ:
// both keep two biases (b_ih + b_hh, each trained: twice the bias' step), split the kernel in two
// (clipped, decayed and noised as two tensors, where the trainer has one), and take no weights per
// sequence; nn.GRU also applies the reset gate after the recurrent product (Keras' reset_after =
// True), where the trainer's GRU (tfjs-layers') applies it to the state before it.

export const KERAS_RECURRENT = String.raw`
class KerasRecurrent(nn.Module):
    """Keras' LSTM (gates i, f, c, o) or GRU (z, r, h; reset_after False), as Noise Lab's trainer computes them.

    One kernel, the input rows then the state's, [features + units, gates · units], and one bias:
    weight decay, clipping and weight noise see them as the trainer does. Glorot-uniform for the
    input and the recurrent rows, each with its own fans; biases 0 but the LSTM's forget gate, 1.
    The weights may come one per sequence ([n, ...]: weight noise once per training sequence).
    """

    def __init__(self, kind, features, units, return_sequences):
        super().__init__()
        self.kind, self.features, self.units, self.return_sequences = kind, features, units, return_sequences
        width = (4 if kind == "lstm" else 3) * units
        kernel = torch.empty(features + units, width)
        input_limit, recurrent_limit = math.sqrt(6 / (features + width)), math.sqrt(6 / (units + width))
        kernel[:features].uniform_(-input_limit, input_limit)
        kernel[features:].uniform_(-recurrent_limit, recurrent_limit)
        bias = torch.zeros(width)
        if kind == "lstm":
            bias[units:2 * units] = 1.0  # Keras' unit_forget_bias
        self.weight, self.bias = nn.Parameter(kernel), nn.Parameter(bias)

    def forward(self, x):
        n, steps, u = x.shape[0], x.shape[1], self.units
        w, b = self.weight, self.bias
        per_sequence = w.dim() == 3
        if per_sequence:
            xz = torch.bmm(x, w[:, :self.features]) + b[:, None, :]
            times = lambda h, cols: torch.bmm(h[:, None, :], w[:, self.features:, cols])[:, 0]
        else:
            xz = x @ w[:self.features] + b
            times = lambda h, cols: h @ w[self.features:, cols]
        h = x.new_zeros(n, u)
        c = x.new_zeros(n, u)
        outputs = []
        for t in range(steps):
            if self.kind == "lstm":
                i, f, g, o = (xz[:, t] + times(h, slice(None))).chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                x_z, x_r, x_h = xz[:, t].chunk(3, dim=1)
                h_z, h_r = times(h, slice(0, 2 * u)).chunk(2, dim=1)
                z, r = torch.sigmoid(x_z + h_z), torch.sigmoid(x_r + h_r)
                candidate = torch.tanh(x_h + times(r * h, slice(2 * u, 3 * u)))
                h = z * h + (1 - z) * candidate
            if self.return_sequences:
                outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h
`;
