// The fixed part of an exported script: schedules, scaling, the training loop of one run, and the
// clean evaluation. The parts that depend on the experiment (data, model, noise sites, report)
// are written around it by script.ts; this text reads its constants by name.

/** spec/schedules.ts's stdAt, and the clock the loop advances (t counts steps, or epochs). */
export const SCHEDULES = String.raw`
class Clock:
    """Where training is: the step counts batches from 0, the epoch epochs from 0."""

    def __init__(self, steps_per_epoch):
        self.step, self.epoch, self.steps_per_epoch = 0, 0, steps_per_epoch


def level(std, schedule, clock):
    """A site's amount now: its std (or fraction, flip probability) after its schedule."""
    if schedule is None:
        return std
    per_epoch = schedule["per"] == "epoch"
    t = clock.epoch if per_epoch else clock.step
    total = EPOCHS if per_epoch else EPOCHS * clock.steps_per_epoch
    span = schedule["steps"] or total
    progress = min(t / span, 1.0) if span > 0 else 1.0
    kind = schedule["type"]
    if kind == "linear":
        v = std + (schedule["end"] - std) * progress
    elif kind == "exponential":
        v = std * schedule["decay"] ** t
    elif kind == "step":
        v = std * schedule["factor"] ** (t // schedule["every"])
    elif kind == "cosine":
        v = schedule["end"] + (std - schedule["end"]) * (1 + math.cos(math.pi * progress)) / 2
    else:  # annealed: the variance falls as 1/(1+t)^gamma, so the std with half the exponent
        v = std * (1 + t) ** (-schedule["gamma"] / 2)
    return max(0.0, v)


def stream(seed, label):
    """A generator of its own for each use of randomness, seeded by the run seed and a name."""
    return torch.Generator().manual_seed(zlib.crc32(f"{seed}:{label}".encode()))
`;

/** Scaling fitted on the training rows only (trainer/data/scale.ts), and one run seed's splits as tensors. */
export const DATA = String.raw`
def fit_scaler(x):
    """offset and scale per feature from the training rows (pooled: one per channel over every position)."""
    values = x.reshape(-1, CHANNELS) if POOLED else x
    if SCALE == "standardize":
        offset, spread = values.mean(axis=0), values.std(axis=0)  # population std, as scikit-learn's
    elif SCALE == "normalize":
        offset, spread = values.min(axis=0), values.max(axis=0) - values.min(axis=0)
    else:
        offset, spread = np.zeros(values.shape[1]), np.ones(values.shape[1])
    # A constant feature is shifted to 0 and never divided by zero.
    scale = np.where(spread > 1e-12 * np.abs(values).max(axis=0), spread, 1.0)
    repeat = x.shape[1] // values.shape[1]
    return np.tile(offset, repeat), np.tile(scale, repeat)


def prepare(seed, fold=None):
    """The splits of one run seed (and cross-validation fold), scaled with statistics of its training rows."""
    x, y = DATA[seed]
    rows = SPLITS[seed] if fold is None else FOLDS[seed][fold]
    offset, scale = fit_scaler(x[rows["train"]])
    train_y = y[rows["train"]]
    y_offset, y_scale = (train_y.mean(), train_y.std()) if TASK == "regression" and SCALE != "none" else (0.0, 1.0)
    if not y_scale > 1e-12 * np.abs(train_y).max():
        y_scale = 1.0
    return {
        name: (torch.tensor((x[r] - offset) / scale, dtype=torch.float32), torch.tensor((y[r] - y_offset) / y_scale, dtype=torch.float32))
        for name, r in rows.items()
    }
`;

/** Loss and metrics of the task (shared/tasks), the clean evaluation, the optimizer. */
export const TRAINING = String.raw`
def loss_of(out, y):
    """y: the labels, or (reconstruction) the clean inputs, every value of which the outputs reproduce."""
    if TASK == "reconstruction":
        return F.mse_loss(out, y)
    if TASK == "regression":
        return F.mse_loss(out[:, 0], y)
    if OUTPUTS == 1:
        return F.binary_cross_entropy_with_logits(out[:, 0], y)
    return F.cross_entropy(out, y.long())


def metrics_of(out, y):
    loss = loss_of(out, y).item()
    if TASK != "classification":
        return {"loss": loss, "mse": loss}
    predicted = (out[:, 0] > 0).float() if OUTPUTS == 1 else out.argmax(dim=1).float()
    return {"loss": loss, "accuracy": (predicted == y).float().mean().item()}


def evaluate(model, split, corrupted=None):
    """Clean metrics of a split: no noise, no dropout. An autoencoder's target is its clean input;
    its denoising MSE reconstructs the split's corrupted twin against the clean inputs."""
    x, y = split
    model.eval()
    with torch.no_grad():
        result = metrics_of(model(x), x if TASK == "reconstruction" else y)
        if corrupted is not None:
            result["denoisingMse"] = F.mse_loss(model(corrupted), x).item()
    model.train()
    return result


class KerasRMSprop(torch.optim.Optimizer):
    """tf.train.rmsprop's update (decay 0.9, epsilon inside the square root), which torch.optim.RMSprop does not have."""

    def __init__(self, params, lr, decay=0.9, eps=1e-7):
        super().__init__(params, {"lr": lr, "decay": decay, "eps": eps})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                ms = self.state[p].setdefault("ms", torch.zeros_like(p))
                ms.mul_(group["decay"]).addcmul_(p.grad, p.grad, value=1 - group["decay"])
                p.sub_(group["lr"] * p.grad / torch.sqrt(ms + group["eps"]))


def make_optimizer(model):
    params = model.parameters()
    if OPTIMIZER == "adam":
        # TensorFlow.js' epsilon (1e-7), not PyTorch's default 1e-8.
        return torch.optim.Adam(params, lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-7)
    if OPTIMIZER == "momentum":
        return torch.optim.SGD(params, lr=LEARNING_RATE, momentum=MOMENTUM)
    if OPTIMIZER == "rmsprop":
        return KerasRMSprop(params, lr=LEARNING_RATE)
    return torch.optim.SGD(params, lr=LEARNING_RATE)


def regularize(model):
    """L2 weight decay on the kernels (not the biases), then each gradient clipped to its own norm."""
    for name, p in model.named_parameters():
        if WEIGHT_DECAY > 0 and name.endswith("weight"):
            p.grad.add_(WEIGHT_DECAY * p.detach())
        if CLIP_NORM is not None:
            p.grad.mul_(min(1.0, CLIP_NORM / max(p.grad.norm().item(), 1e-12)))


def train_run(seed, variant, fold=None, noisy=None):
    """One run: the same initial weights and batch order for the control and the noisy run of a seed.
    noisy: the noisy variant's class (a sweep's point), Noisy by default; fold: which fold validates."""
    data = prepare(seed, fold)
    train_x, train_y = data["train"]
    twins = corrupted_twins(seed, data) if TASK == "reconstruction" else {}
    torch.manual_seed(seed)  # the initial weights (and dropout's masks)
    model = Net()
    optimizer = make_optimizer(model)
    shuffle = stream(seed, "shuffle")
    n = train_x.shape[0]
    size = min(BATCH_SIZE, n)
    clock = Clock(math.ceil(n / size))
    noise = Clean() if variant == "control" else (noisy or Noisy)(seed, clock, train_x)
    best, best_epoch, snapshot, status, epochs = math.inf, 0, None, "completed", 0
    for epoch in range(1, EPOCHS + 1):
        clock.epoch = epoch - 1
        # Full-batch training needs no shuffle: the order inside one batch does not matter.
        order = torch.randperm(n, generator=shuffle) if size < n else torch.arange(n)
        loss_sum = 0.0
        for start in range(0, n, size):
            rows = order[start:start + size]
            clean = train_x[rows]
            xb = noise.inputs(clean)
            # An autoencoder learns to give back the clean input (a denoising one from the corrupted xb).
            yb = clean if TASK == "reconstruction" else noise.labels(train_y[rows])
            noisy_weights = noise.weights(model, len(rows))
            out = model(xb, noise.activation) if noisy_weights is None else functional_call(model, noisy_weights, (xb, noise.activation))
            loss = loss_of(out, yb)
            optimizer.zero_grad()
            loss.backward()
            regularize(model)
            noise.gradients(model)
            optimizer.step()
            loss_sum += loss.item() * len(rows)
            clock.step += 1
        train_loss = loss_sum / n
        if not math.isfinite(train_loss):
            status = "diverged"
            break
        epochs = epoch
        if EARLY_STOPPING is not None:
            monitor = EARLY_STOPPING["monitor"]
            if monitor == "loss":
                value = train_loss
            else:
                held_out = evaluate(model, data["validation"])
                value = held_out["loss"] if monitor == "val_loss" else -held_out["accuracy"]
            if value < best - EARLY_STOPPING["minDelta"]:
                best, best_epoch = value, epoch
                if EARLY_STOPPING["restoreBest"]:
                    snapshot = copy.deepcopy(model.state_dict())
            elif epoch - best_epoch >= EARLY_STOPPING["patience"]:
                status = "earlyStopped"
                break
    if snapshot is not None:
        model.load_state_dict(snapshot)
    result = {"variant": variant, "seed": seed, "status": status, "epochs": epochs, **({"fold": fold} if fold is not None else {})}
    for name in data:
        result[name] = evaluate(model, data[name], twins.get(name)) if status != "diverged" else {m: math.nan for m in ("loss", *METRICS)}
    result["bestEpoch"] = best_epoch if snapshot is not None else epochs
    return result
`;

/** The control: no noise anywhere. The noisy variant overrides the hooks its sites use. */
export const CLEAN = String.raw`
def input_range(train_x):
    """The scaled training inputs' range, for salt-and-pepper: per feature, or one over every value (images, sequences)."""
    if POOLED:
        return train_x.min().expand(train_x.shape[1:]), train_x.max().expand(train_x.shape[1:])
    return train_x.min(dim=0).values, train_x.max(dim=0).values


class Clean:
    """The clean control: every hook gives back what it gets."""

    def inputs(self, x):
        return x

    def labels(self, y):
        return y

    def activation(self, layer, position, h):
        return h

    def weights(self, model, n):
        return None

    def gradients(self, model):
        pass
`;
